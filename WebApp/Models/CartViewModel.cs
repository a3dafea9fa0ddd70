using DualCache.WebApp.Cart;

namespace DualCache.WebApp.Models;

/// <param name="SessionAvailable">False when the session store could not be reached: the cart can be neither read nor changed.</param>
public sealed record CartViewModel(ShoppingCart Cart, bool SessionAvailable);
