using System.Text.Json.Serialization;
using DualCache.WebApp.Catalog;

namespace DualCache.WebApp.Cart;

/// <summary>A visitor's cart, kept on the <c>sessions</c> role under <c>cart:{sign-in key}</c> (<see cref="CartStore"/>).</summary>
public sealed record ShoppingCart(IReadOnlyList<CartLine> Lines)
{
    public static ShoppingCart Empty { get; } = new([]);

    [JsonIgnore]
    public int ItemCount => Lines.Sum(line => line.Quantity);

    [JsonIgnore]
    public decimal Total => Lines.Sum(line => line.Price * line.Quantity);

    public ShoppingCart Add(Product product) =>
        Lines.Any(line => line.ProductId == product.Id)
            ? new([.. Lines.Select(line => line.ProductId == product.Id ? line with { Quantity = line.Quantity + 1 } : line)])
            : new([.. Lines, new CartLine(product.Id, product.Name, product.Price, 1)]);

    public ShoppingCart Remove(int productId) => new([.. Lines.Where(line => line.ProductId != productId)]);
}

public sealed record CartLine(int ProductId, string Name, decimal Price, int Quantity);
