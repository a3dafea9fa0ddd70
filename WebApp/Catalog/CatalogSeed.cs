namespace DualCache.WebApp.Catalog;

/// <summary>The products a new database starts with.</summary>
internal static class CatalogSeed
{
    public static IReadOnlyList<Product> Products { get; } =
    [
        new(1, "Espresso cup", "A thick-walled porcelain cup that keeps an espresso hot.", "Kitchen", 9.50m),
        new(2, "Pour-over kettle", "A gooseneck kettle for a slow, even pour.", "Kitchen", 39.00m),
        new(3, "Burr grinder", "Conical burrs, forty grind settings, no guesswork.", "Kitchen", 129.00m),
        new(4, "Oak cutting board", "End-grain oak, kind to knives.", "Kitchen", 54.00m),
        new(5, "Chef's knife", "A 20 cm blade of stainless steel, forged in one piece.", "Kitchen", 89.00m),
        new(6, "Linen apron", "Washed linen with a deep front pocket.", "Kitchen", 32.00m),
        new(7, "Desk lamp", "A warm, dimmable light on a weighted base.", "Home", 74.00m),
        new(8, "Wool throw", "Merino wool, woven in a herringbone pattern.", "Home", 110.00m),
        new(9, "Cotton cushion", "A plump cushion with a removable cover.", "Home", 28.00m),
        new(10, "Wall clock", "A silent sweep movement behind a plain white face.", "Home", 45.00m),
        new(11, "Plant pot", "Glazed stoneware with a drainage hole and saucer.", "Home", 19.00m),
        new(12, "Notebook", "Dot grid, lay-flat binding, 192 numbered pages.", "Stationery", 14.00m),
        new(13, "Fountain pen", "A steel nib that writes smooth from the first line.", "Stationery", 35.00m),
        new(14, "Ink bottle", "Fifty millilitres of deep blue ink.", "Stationery", 12.00m),
        new(15, "Pencil set", "Twelve graphite pencils from 6H to 8B.", "Stationery", 16.00m),
        new(16, "Canvas tote", "Heavy canvas with long handles and an inner pocket.", "Outdoors", 24.00m),
        new(17, "Water bottle", "Double-walled steel: cold for a day, hot for half of one.", "Outdoors", 29.00m),
        new(18, "Rain jacket", "Light, packable and properly waterproof.", "Outdoors", 149.00m),
        new(19, "Trail socks", "Merino blend with a cushioned sole.", "Outdoors", 18.00m),
        new(20, "Head torch", "Rechargeable, 300 lumens, red light mode.", "Outdoors", 42.00m),
    ];
}
