namespace DualCache.WebApp.Catalog;

/// <summary>A product: a row in the database and, as JSON, an item in the object cache.</summary>
public sealed record Product(int Id, string Name, string Description, string Category, decimal Price);
