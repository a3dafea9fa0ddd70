using DualCache.WebApp.Cart;

namespace Microsoft.Extensions.Hosting;

public static class CartExtensions
{
    /// <summary>The cart of each sign-in, on the <c>sessions</c> role, read at most once per request.</summary>
    public static void AddCart(this IServiceCollection services)
    {
        services.AddSingleton<CartStore>();
        services.AddScoped<VisitorCart>();
    }
}
