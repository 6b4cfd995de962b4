"""The UN's terms of use, in every wording the site shows them.

The UN's terms ask that its data be cited wherever it is shown. Every notice,
page footer, API body and header, feed, dump and the OpenAPI document, takes
its words from here. Pure (no Django), so that the settings can read it too.
"""

LICENCE_URL = "https://www.un.org/en/about-us/terms-of-use"
TERMS = "free for non-commercial use with attribution"
SOURCES = "Dag Hammarskjöld Library Security Council Voting Data and Veto List; UN DPPA; UN DGACM"

# Short: the X-Licence header and the licence of the OpenAPI document.
LICENCE_NAME = "UN data: non-commercial use with attribution"
# The footer of every page.
COPYRIGHT = f"Copyright United Nations; {TERMS}."
# Every API body and the feeds' rights.
LICENCE = (
    f"United Nations data ({SOURCES}), merged by SC Votes. "
    f"Copyright United Nations: {TERMS}; cite the source and its version."
)
# The header of the JSON downloads and dumps.
EXPORT_LICENCE = f"Source: United Nations ({SOURCES}), merged by SC Votes. {COPYRIGHT}"
