namespace DualCache.WebApp.Cart;

/// <summary>What became of a change to the cart, and the cart as it is now.</summary>
public sealed record CartUpdate(CartUpdateOutcome Outcome, ShoppingCart Cart);

public enum CartUpdateOutcome
{
    Updated,

    /// <summary>The changed cart does not fit in the session store's item size limit; the cart was left as it was.</summary>
    TooLarge,

    /// <summary>Other requests changed the cart at every attempt; it was left as they made it.</summary>
    Contended,
}
