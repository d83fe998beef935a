// Start the GOV.UK Frontend components on every page. A module script runs only in the
// browsers GOV.UK Frontend supports, so the class that turns its styles on is set here.
import { initAll } from "../govuk/govuk-frontend.min.js";
import "./session-timeout.mjs";

document.body.classList.add("govuk-frontend-supported");
initAll();

// On a narrow screen each table row is shown as a stack of cells (app.scss): each cell
// is given its column's name to show beside it.
for (const table of document.querySelectorAll("table.govuk-table")) {
  const names = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
  if (!names.length) continue;
  for (const row of table.querySelectorAll("tbody tr, tfoot tr")) {
    [...row.children].forEach((cell, index) => {
      if (names[index] && !cell.hasAttribute("data-label")) {
        cell.setAttribute("data-label", names[index]);
      }
    });
  }
}
