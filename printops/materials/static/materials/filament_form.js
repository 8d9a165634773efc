// The filament form's colour helpers (a static file: the CSP allows no inline script).
(() => {
  const hint = document.getElementById("colour-hint");
  const colour = document.getElementById("id_color_hex");
  // The hint belongs under the colour field (the form template lays out fields generically).
  if (hint && colour) colour.closest(".field").append(hint);
  // A suggested name fills the colour-name field (htmx swaps the suggestions in).
  document.addEventListener("click", (event) => {
    const pick = event.target.closest("[data-colour-name]");
    const name = document.getElementById("id_colour_name");
    if (pick && name) name.value = pick.dataset.colourName;
  });
})();
