// On a phone the filters start folded, so results come first.
document.querySelectorAll("details.facets").forEach((details) => {
  if (window.matchMedia("(max-width: 800px)").matches) details.open = false;
});

// Filter a table's rows as the user types (version page: "All settings").
document.querySelectorAll("[data-filter-table]").forEach((input) => {
  const table = document.getElementById(input.dataset.filterTable);
  const rows = Array.from(table.tBodies[0].rows);
  input.addEventListener("input", () => {
    const needle = input.value.trim().toLowerCase();
    rows.forEach((row) => {
      row.hidden = needle !== "" && !row.textContent.toLowerCase().includes(needle);
    });
  });
});
