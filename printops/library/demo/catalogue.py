"""What demo designs are drawn from: subjects, styles, designers, licences, sizes, materials,
colours, printers and change notes (the demo shop's stocked filaments among them)."""

from __future__ import annotations

from datetime import UTC, datetime

from printops.materials.demo import FILAMENTS as DEMO_FILAMENTS

EPOCH = datetime(2024, 1, 1, 9, 0, tzinfo=UTC)

# (subject, category, typical grams at "Medium", tags it tends to get)
SUBJECTS = (
    ("Cat Keychain", "Keychain", 5, ("gift", "quick print")),
    ("Dragon Keychain", "Keychain", 7, ("gift", "print in place")),
    ("Paw Keychain", "Keychain", 4, ("gift", "kids")),
    ("Name Tag Keychain", "Keychain", 5, ("custom", "gift")),
    ("Benchy Keychain", "Keychain", 6, ("quick print",)),
    ("Dice Keychain", "Keychain", 6, ("print in place",)),
    ("Guitar Pick Keychain", "Keychain", 3, ("market",)),
    ("Octopus Keychain", "Keychain", 6, ("kids", "multicolour")),
    ("Hoop Earrings", "Earring", 2, ("jewellery", "market")),
    ("Leaf Earrings", "Earring", 2, ("jewellery",)),
    ("Feather Earrings", "Earring", 2, ("jewellery", "bestseller")),
    ("Moon Earrings", "Earring", 2, ("jewellery", "gift")),
    ("Drop Earrings", "Earring", 2, ("jewellery",)),
    ("Dragon", "Decoration", 90, ("print in place", "bestseller")),
    ("Vase", "Decoration", 70, ("vase mode",)),
    ("Planter", "Decoration", 110, ("home",)),
    ("Octopus", "Decoration", 40, ("kids", "print in place")),
    ("Skull", "Decoration", 60, ("halloween",)),
    ("Lithophane Lamp", "Decoration", 80, ("gift", "custom")),
    ("Christmas Ornament", "Decoration", 12, ("christmas", "seasonal")),
    ("Owl", "Decoration", 35, ("home",)),
    ("Fox", "Decoration", 30, ("kids",)),
    ("Axolotl", "Decoration", 25, ("kids", "bestseller")),
    ("Castle", "Decoration", 150, ("needs supports",)),
    ("Miniature Knight", "Decoration", 8, ("miniature", "needs supports")),
    ("Miniature Wizard", "Decoration", 8, ("miniature", "needs supports")),
    ("Tealight Holder", "Decoration", 45, ("home", "christmas")),
    ("Phone Stand", "Functional", 45, ("desk",)),
    ("Cable Clip", "Functional", 3, ("desk", "quick print")),
    ("Headphone Hook", "Functional", 35, ("desk",)),
    ("Spool Holder", "Functional", 90, ("workshop",)),
    ("Drawer Organiser", "Functional", 120, ("workshop", "home")),
    ("Tablet Stand", "Functional", 70, ("desk",)),
    ("Wall Hook", "Functional", 15, ("home",)),
    ("SD Card Holder", "Functional", 12, ("desk",)),
    ("Pen Cup", "Functional", 60, ("desk", "vase mode")),
    ("Bag Clip", "Functional", 6, ("kitchen", "quick print")),
    ("Battery Holder", "Functional", 40, ("workshop",)),
)
STYLES = (
    "Articulated", "Low-poly", "Twisted", "Voronoi", "Geometric", "Flexi", "Hexagon", "Spiral",
    "Minimalist", "Gothic", "Tiny", "Chunky", "Modular", "Stackable", "Celtic", "Faceted",
    "Sleepy", "Ribbed", "Wavy", "Retro",
)  # fmt: skip
SUFFIXES = ("", "", "", "", " Mk2", " v3", " XL", " (Remix)", " Deluxe", " Lite")
DESIGNERS = (
    "McGybeer", "Cinderwing3D", "Flexi Factory", "Makers Mashup", "Layer Lab", "Printed Nest",
    "Kijai", "Sanjay Mortimer", "Ana Prints", "Odd Duck Designs", "Filament Fox", "Tom Stanton",
    "3DPrintingGeek", "Polymaker Studio", "Studio Hex", "",
)  # fmt: skip
LICENCES = ("CC BY 4.0", "CC BY-NC 4.0", "CC BY-SA 4.0", "Standard Digital File Licence", "")
EXTRA_TAGS = ("gift", "bestseller", "market", "new", "multicolour", "seasonal")
SIZES = (("Mini", 0.4), ("Small", 0.65), ("Medium", 1.0), ("Large", 1.8), ("XL", 3.0))
# (material, brand, filament name, density g/cm³, €/kg, nozzle °C, bed °C)
MATERIALS = (
    ("PLA", "Bambu Lab", "Bambu PLA Basic", 1.24, 20.0, 215, 60),
    ("PLA", "Prusament", "Prusament PLA", 1.24, 25.0, 215, 60),
    ("PLA", "Polymaker", "PolyTerra PLA", 1.31, 22.0, 210, 60),
    ("PETG", "Prusament", "Prusament PETG", 1.27, 25.0, 240, 85),
    ("PETG", "Bambu Lab", "Bambu PETG HF", 1.25, 22.0, 240, 70),
    ("SILK PLA", "Eryone", "Eryone Silk PLA", 1.24, 24.0, 220, 60),
    ("TPU", "Bambu Lab", "Bambu TPU 95A HF", 1.22, 40.0, 230, 35),
    ("ASA", "Polymaker", "PolyLite ASA", 1.07, 30.0, 260, 100),
)
COLOURS = (
    ("red", "#E53935"), ("black", "#111111"), ("white", "#F5F5F5"), ("blue", "#1E88E5"),
    ("green", "#43A047"), ("yellow", "#FDD835"), ("orange", "#FB8C00"), ("purple", "#8E24AA"),
    ("pink", "#F48FB1"), ("grey", "#9E9E9E"), ("gold", "#D4AF37"), ("silver", "#C0C0C0"),
    ("teal", "#00897B"), ("natural", "#E8DCC0"),
)  # fmt: skip
# Most demo files are sliced for filaments the demo shop stocks, so they match its catalogue on
# upload as a real shop's would; the rest wait in the review queue.
STOCKED_SHARE = 0.9
STOCKED = tuple(
    (
        (material, vendor, f"{vendor} {material}", float(density), float(price), nozzle, bed),
        (colour.lower(), hex_colour),
    )
    for vendor, material, colour, hex_colour, density, price, nozzle, bed in DEMO_FILAMENTS
)
# (printer model as the slicer writes it, slicer, slicer version, usual nozzle)
PRINTERS = (
    ("Bambu Lab A1 mini", "PrusaSlicer", "2.8.1", 0.4),
    ("Bambu Lab X1 Carbon", "PrusaSlicer", "2.8.1", 0.4),
    ("Bambu Lab P1S", "SuperSlicer", "2.5.59.13", 0.4),
    ("Original Prusa MK4", "PrusaSlicer", "2.8.1", 0.4),
    ("Original Prusa MINI+", "PrusaSlicer", "2.7.4", 0.4),
    ("Creality Ender-3 V2", "SuperSlicer", "2.5.59.13", 0.4),
    ("Voron 2.4 350", "SuperSlicer", "2.5.59.13", 0.6),
)
CHANGE_NOTES = (
    "Thicker walls",
    "Faster: 0.28 mm layers",
    "Fixed the stringing on the tail",
    "Brim added for bed adhesion",
    "Less infill (10 %)",
    "Rotated 45° to avoid supports",
    "New filament profile",
    "Tree supports instead of normal ones",
)
