using System.Security.Claims;
using DualCache.WebApp.Sessions;
using Microsoft.AspNetCore.Mvc.Controllers;

namespace DualCache.WebApp.Cart;

/// <summary>
/// The cart of the visitor of this request, read at most once per request however many parts of the page show it.
/// A session store that cannot be reached gives <see langword="null"/>: the page is shown without the cart, with a notice.
/// </summary>
public sealed partial class VisitorCart(CartStore store, ILogger<VisitorCart> logger)
{
    private ShoppingCart? _read;
    private bool _unavailable;
    private (string SignInKey, Task<ShoppingCart?> Read)? _readAhead;

    /// <summary>
    /// Whether the request is for a page, whose layout shows the cart: a GET or HEAD to a controller action that renders
    /// a view with the layout. Anything else (a form post, /health, a fragment marked <see cref="ShowsNoCartAttribute"/>)
    /// must not pay for a cart it does not show.
    /// </summary>
    public static bool IsPageRequest(HttpContext context) =>
        (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)) &&
        context.GetEndpoint()?.Metadata is { } metadata &&
        metadata.GetMetadata<ControllerActionDescriptor>() is not null &&
        metadata.GetMetadata<ShowsNoCartAttribute>() is null;

    /// <summary>
    /// Starts reading the cart of the sign-in a cookie names, while its ticket is being read: the cart is taken by
    /// <see cref="ReadAsync"/> only if the ticket proves to be of that same sign-in.
    /// </summary>
    public void ReadAhead(string signInKey, CancellationToken cancellationToken) =>
        _readAhead = (signInKey, ReadOrNullAsync(signInKey, cancellationToken));

    /// <summary>The cart; <see langword="null"/> when the session store cannot be reached, or nobody is signed in.</summary>
    public async Task<ShoppingCart?> ReadAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (_read is not null || _unavailable || SignInKey.Of(user) is not { } signInKey)
        {
            return _read;
        }

        var read = _readAhead is { } ahead && ahead.SignInKey == signInKey ? ahead.Read : ReadOrNullAsync(signInKey, cancellationToken);
        _readAhead = null;
        _read = await read;
        _unavailable = _read is null;
        return _read;
    }

    private async Task<ShoppingCart?> ReadOrNullAsync(string signInKey, CancellationToken cancellationToken)
    {
        try
        {
            return await store.ReadAsync(signInKey, cancellationToken);
        }
        catch (SessionStoreUnavailableException exception)
        {
            LogCartUnavailable(logger, exception);
            return null;
        }
    }

    /// <summary>Adds a product; <see langword="null"/> when the session store cannot be reached.</summary>
    public Task<CartUpdate?> AddAsync(ClaimsPrincipal user, Catalog.Product product, CancellationToken cancellationToken) =>
        UpdateAsync(user, cart => cart.Add(product), cancellationToken);

    /// <summary>Removes a product's line; <see langword="null"/> when the session store cannot be reached.</summary>
    public Task<CartUpdate?> RemoveAsync(ClaimsPrincipal user, int productId, CancellationToken cancellationToken) =>
        UpdateAsync(user, cart => cart.Remove(productId), cancellationToken);

    private async Task<CartUpdate?> UpdateAsync(ClaimsPrincipal user, Func<ShoppingCart, ShoppingCart> change, CancellationToken cancellationToken)
    {
        var signInKey = SignInKey.Of(user) ?? throw new InvalidOperationException("Only a signed-in visitor has a cart.");
        try
        {
            var update = await store.UpdateAsync(signInKey, change, cancellationToken);
            _read = update.Cart;
            return update;
        }
        catch (SessionStoreUnavailableException exception)
        {
            LogCartUnavailable(logger, exception);
            _unavailable = true;
            return null;
        }
    }

    /// <summary>Empties the cart; false when the session store cannot be reached.</summary>
    public async Task<bool> ClearAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var signInKey = SignInKey.Of(user) ?? throw new InvalidOperationException("Only a signed-in visitor has a cart.");
        try
        {
            await store.RemoveAsync(signInKey, cancellationToken);
            _read = ShoppingCart.Empty;
            return true;
        }
        catch (SessionStoreUnavailableException exception)
        {
            LogCartUnavailable(logger, exception);
            _unavailable = true;
            return false;
        }
    }

    [LoggerMessage(EventId = 2204, Level = LogLevel.Error, Message = "The cart cannot be read or changed: the session store cannot be reached. The page is shown without it")]
    private static partial void LogCartUnavailable(ILogger logger, Exception exception);
}
