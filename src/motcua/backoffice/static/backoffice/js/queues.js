// The queue list: one box in the table head selects or clears every row of the page.
document.addEventListener("DOMContentLoaded", () => {
  const all = document.querySelector("[data-select-all]");
  if (!all) return;
  const boxes = () => document.querySelectorAll('input[name="dossiers"]');
  all.addEventListener("change", () => boxes().forEach((b) => { b.checked = all.checked; }));
});
