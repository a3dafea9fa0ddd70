using DualCache.WebApp.Cart;

namespace DualCache.WebApp.Models;

/// <param name="Cart">The cart; <see langword="null"/> when the session store cannot be reached.</param>
/// <param name="Notice">What the page says about the visitor's last change, if it did not go through.</param>
public sealed record CartViewModel(ShoppingCart? Cart, CartNotice Notice = CartNotice.None);

public enum CartNotice
{
    None,

    /// <summary>The session store cannot be reached: the cart can be neither shown nor changed.</summary>
    Unavailable,

    /// <summary>The product did not fit: the cart is as large as the session store keeps one.</summary>
    Full,

    /// <summary>The cart kept changing under the update (many requests at once): nothing was added.</summary>
    Busy,
}
