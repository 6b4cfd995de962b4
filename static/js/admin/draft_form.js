/*
 * The draft editor in the admin (templates/admin/resolutions/draft/).
 *
 * - Choosing the date lists the members sitting that day, one row each, asked of
 *   the server (which reads the Council's terms).
 * - "All in favour" sets every row to Yes; the editor then changes the exceptions.
 * - As the editor types, the whole form is posted to the preview endpoint, which
 *   validates it without saving and returns the outcome as it will be published,
 *   computed by the one outcome engine. Nothing is decided here.
 *
 * Plain JavaScript, no dependencies, no inline handlers (the CSP forbids them).
 */
(function () {
  "use strict";

  function init() {
    const form = document.getElementById("draft_form");
    const panel = document.getElementById("outcome-preview");
    if (!form || !panel) {
      return;
    }
    const prefix = panel.dataset.prefix;
    const body = panel.querySelector(".outcome-preview-body");
    const rows = document.getElementById("member-votes-rows");
    const template = document.getElementById("member-vote-template");
    const total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    const savedCount = Number(document.getElementById("id_" + prefix + "-INITIAL_FORMS").value);
    const status = document.getElementById("council-status");
    const dateInput = document.getElementById("id_date");
    const allInFavour = document.getElementById("all-in-favour");

    function field(row, name) {
      return row.querySelector('[name$="-' + name + '"]');
    }

    function isSaved(row) {
      const index = Number(field(row, "state").name.split("-")[1]);
      return index < savedCount;
    }

    function allRows() {
      return Array.from(rows.querySelectorAll("tr.vote-row"));
    }

    function addRow(index, member, kept) {
      rows.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, String(index)));
      const row = rows.lastElementChild;
      row.dataset.state = String(member.state);
      field(row, "state").value = member.state;
      field(row, "name_at_vote").value = member.name_at_vote;
      field(row, "permanent").value = member.permanent;
      row.querySelector(".member-name").textContent = member.name_at_vote;
      row.querySelector(".permanent-badge").hidden = !member.permanent;
      ["position", "non_voting", "note"].forEach(function (name) {
        const input = field(row, name);
        input.setAttribute("aria-label", input.getAttribute("aria-label") + " of " + member.name_at_vote);
        if (kept && kept[name] !== undefined) {
          input.value = kept[name];
        }
      });
    }

    let councilTicket = 0;
    async function fillCouncil() {
      const value = dateInput.value;
      if (!value) {
        return;
      }
      const ticket = ++councilTicket;
      let data;
      try {
        const response = await fetch(panel.dataset.councilUrl + "?date=" + encodeURIComponent(value), {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        });
        data = await response.json();
      } catch (error) {
        status.textContent = "The members sitting on this date could not be listed. Try again.";
        return;
      }
      if (ticket !== councilTicket) {
        return;
      }
      if (data.error) {
        status.textContent = data.error;
        return;
      }
      const sitting = new Set(data.members.map(function (m) { return String(m.state); }));
      const kept = {};
      allRows().forEach(function (row) {
        if (isSaved(row)) {
          // Saved votes stay; the server says on saving if one no longer fits the date.
          row.classList.toggle("not-sitting", !sitting.has(row.dataset.state));
          return;
        }
        kept[row.dataset.state] = {
          position: field(row, "position").value,
          non_voting: field(row, "non_voting").value,
          note: field(row, "note").value,
        };
        row.remove();
      });
      const present = new Set(allRows().map(function (row) { return row.dataset.state; }));
      let index = savedCount;
      data.members.forEach(function (member) {
        if (!present.has(String(member.state))) {
          addRow(index, member, kept[String(member.state)]);
          index += 1;
        }
      });
      total.value = String(index);
      status.textContent = data.message;
      schedulePreview();
    }

    let timer = null;
    let previewTicket = 0;
    function schedulePreview() {
      window.clearTimeout(timer);
      timer = window.setTimeout(refreshPreview, 250);
    }

    async function refreshPreview() {
      const ticket = ++previewTicket;
      panel.dataset.state = "loading";
      try {
        const response = await fetch(panel.dataset.previewUrl, {
          method: "POST",
          body: new FormData(form),
          credentials: "same-origin",
          headers: { "X-Requested-With": "fetch" },
        });
        if (!response.ok) {
          throw new Error("preview failed: " + response.status);
        }
        const html = await response.text();
        if (ticket === previewTicket) {
          body.innerHTML = html;
          panel.dataset.state = "fresh";
        }
      } catch (error) {
        if (ticket === previewTicket) {
          panel.dataset.state = "stale";
        }
      }
    }

    allInFavour.addEventListener("click", function () {
      allRows().forEach(function (row) {
        const remove = field(row, "DELETE");
        if (remove && remove.checked) {
          return;
        }
        field(row, "position").value = "Y";
        field(row, "non_voting").value = "";
      });
      schedulePreview();
    });

    rows.addEventListener("change", function (event) {
      // "Not present" or "did not participate" means the member cast no vote.
      const target = event.target;
      if (target.name && target.name.endsWith("-non_voting") && target.value) {
        field(target.closest("tr"), "position").value = "X";
      }
    });

    dateInput.addEventListener("change", fillCouncil);
    form.addEventListener("input", schedulePreview);
    form.addEventListener("change", schedulePreview);

    if (dateInput.value && allRows().length === 0) {
      fillCouncil();
    } else if (dateInput.value && savedCount === 0) {
      // A new draft shown again with errors: bring its outcome back.
      schedulePreview();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
