// Start the GOV.UK Frontend components on every page. A module script runs only in the
// browsers GOV.UK Frontend supports, so the class that turns its styles on is set here.
import { initAll } from "../govuk/govuk-frontend.min.js";

document.body.classList.add("govuk-frontend-supported");
initAll();
