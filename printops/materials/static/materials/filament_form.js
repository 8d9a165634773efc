// The filament form: the colour hint under the colour field, suggested names that fill the
// colour name, and a density that follows the material. A file, not inline script, so the
// Content-Security-Policy can forbid inline script.
(() => {
  "use strict";
  const hint = document.getElementById("colour-hint");
  const hex = document.getElementById("id_color_hex");
  // The form template lays fields out generically; the hint belongs under the colour.
  if (hint && hex && hex.closest(".field")) hex.closest(".field").append(hint);

  // A suggested name fills the colour-name field (htmx swaps the suggestions in).
  document.addEventListener("click", (event) => {
    const pick = event.target.closest("[data-colour-name]");
    const name = document.getElementById("id_colour_name");
    if (pick && name) name.value = pick.dataset.colourName;
  });

  // Choosing PETG after PLA must not keep PLA's 1.24 g/cm³. A density someone typed (one that
  // is not the previous material's typical value) is kept; an empty field shows the typical
  // value as its placeholder and the server uses it.
  const material = document.getElementById("id_material");
  const density = document.getElementById("id_density_g_cm3");
  if (!material || !density || !material.dataset.densities) return;
  const typical = JSON.parse(material.dataset.densities);
  const same = (a, b) => a !== "" && b !== undefined && Number(a) === Number(b);
  let previous = material.value;
  density.placeholder = typical[previous] || "";
  material.addEventListener("change", () => {
    const next = typical[material.value];
    if (same(density.value, typical[previous])) density.value = next;
    density.placeholder = next || "";
    previous = material.value;
  });
})();
