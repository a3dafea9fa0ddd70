namespace DualCache.WebApp.Cart;

/// <summary>
/// Marks a GET action whose response has no layout, so no cart: a fragment that a page fetches again and again
/// (<c>/caches/live</c>) must not read a cart it does not show.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ShowsNoCartAttribute : Attribute;
