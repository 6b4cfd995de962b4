"""The public pages, one module per page (or pair of pages that share their data).

* ``home``: the home page and the search box, with the symbol permalinks;
* ``lists``: the votes list and its CSV and JSON downloads;
* ``detail``: one vote;
* ``vetoes``: the vetoes, with counts by seat and decade;
* ``countries``: the member states and one state's record;
* ``p5``: the P5 charts and their downloads;
* ``data``: the data dictionary.

Each view's queries are listed in its docstring, in the order they run; the
tests (``tests/resolutions/test_pages_budget.py`` and the page tests) pin those
budgets at two data sizes. The footer's source citation adds one query to
every page (``resolutions.context_processors``).
"""
