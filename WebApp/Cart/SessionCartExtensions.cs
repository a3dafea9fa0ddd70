using System.Text.Json;

namespace DualCache.WebApp.Cart;

/// <summary>Keeps the cart in the session as JSON.</summary>
public static class SessionCartExtensions
{
    private const string CartKey = "cart";

    /// <summary>Loads the session (one round trip to the <c>sessions</c> role) and reads the cart from it.</summary>
    public static async Task<ShoppingCart> LoadCartAsync(this ISession session, CancellationToken cancellationToken)
    {
        // Loading first keeps the read asynchronous; the session would otherwise load itself synchronously on first use.
        await session.LoadAsync(cancellationToken);
        return session.TryGetValue(CartKey, out var json)
            ? JsonSerializer.Deserialize(json, WebAppJsonContext.Default.ShoppingCart) ?? ShoppingCart.Empty
            : ShoppingCart.Empty;
    }

    public static void SaveCart(this ISession session, ShoppingCart cart) =>
        session.Set(CartKey, JsonSerializer.SerializeToUtf8Bytes(cart, WebAppJsonContext.Default.ShoppingCart));
}
