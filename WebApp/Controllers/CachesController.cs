using System.Security.Claims;
using DualCache.Memcached;
using DualCache.WebApp.Accounts;
using DualCache.WebApp.Caches;
using DualCache.WebApp.Caching;
using DualCache.WebApp.Cart;
using DualCache.WebApp.Models;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace DualCache.WebApp.Controllers;

/// <summary>
/// Both memcached roles side by side, live. Anyone may open the page to learn what it is; signed-in visitors see each
/// role's activity; only admins see the servers (addresses, versions, key prefixes, errors) and may flush them.
/// </summary>
[Route("caches")]
public sealed partial class CachesController(
    CacheRoles roles,
    CacheActivity activity,
    FlushLog flushes,
    SharedStatsReads statsReads,
    VisitorCart cart,
    IOptions<CachesPageOptions> options,
    TimeProvider time,
    ILogger<CachesController> logger) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken) => View(await ReadAsync(cancellationToken));

    /// <summary>The page's live part, which its script fetches and swaps in every few seconds.</summary>
    [HttpGet("live")]
    [ShowsNoCart]
    public async Task<IActionResult> Live(CancellationToken cancellationToken)
    {
        Response.Headers.CacheControl = "no-store";
        return PartialView("_Live", await ReadAsync(cancellationToken));
    }

    [HttpGet("{role}/flush")]
    [Authorize(Roles = AccountRoles.Admin)]
    public IActionResult ConfirmFlush(string role) =>
        roles.Find(role) is { } client
            ? View(new FlushConfirmationViewModel(client.Name, CacheRoles.Describe(client.Name), client.Servers, roles.SharedServers.Count > 0))
            : NotFound();

    [HttpPost("{role}/flush")]
    [Authorize(Roles = AccountRoles.Admin)]
    public async Task<IActionResult> Flush(string role, CancellationToken cancellationToken)
    {
        if (roles.Find(role) is not { } client)
        {
            return NotFound();
        }

        var admin = User.FindFirstValue(ClaimTypes.Email) ?? "?";
        var servers = string.Join(", ", client.Servers);
        try
        {
            await client.FlushAllAsync(cancellationToken);
        }
        catch (MemcachedException exception)
        {
            LogFlushFailed(logger, admin, client.Name, servers, exception);
            TempData["Message"] = $"The {client.Name} role could not be flushed: {exception.Message}";
            return RedirectToAction(nameof(Index));
        }

        LogFlushed(logger, admin, client.Name, servers);
        var stats = await client.GetStatsAsync(cancellationToken);
        statsReads.Remember(client, stats);
        var after = RoleSample.Of(stats, time.GetUtcNow());
        flushes.Record(client.Name, new FlushRecord(after.At, admin, after.TotalItems));
        TempData["Message"] = await WhatTheFlushDidAsync(client.Name, cancellationToken);
        return RedirectToAction(nameof(Index));
    }

    /// <summary>The flush's result in terms of the admin's own visit: still signed in or not, and the cart.</summary>
    private async Task<string> WhatTheFlushDidAsync(string role, CancellationToken cancellationToken)
    {
        if (role == CacheRoles.Sessions)
        {
            return "You flushed the session store: everybody was just signed out, you included, and every cart is empty.";
        }

        if (roles.SharedServers.Count > 0)
        {
            return "Single-server mode: the object cache shares its server with the session store, so this flush signed "
                + "everybody out, you included, and emptied every cart. With the roles on separate servers it would not have.";
        }

        // Read from the session store after the flush: the cart shown is the one that survived it.
        var itemCount = (await cart.ReadAsync(User, cancellationToken))?.ItemCount;
        var cartText = itemCount switch
        {
            null => "your cart could not be read just now (the session store did not answer)",
            1 => "your cart is intact (1 item)",
            var count => $"your cart is intact ({count} items)",
        };
        return $"You flushed the object cache. You are still signed in, {cartText}, and the next catalog view reads the "
            + "database once, then the cache again.";
    }

    private async Task<CachesViewModel> ReadAsync(CancellationToken cancellationToken)
    {
        var audience = User.IsInRole(AccountRoles.Admin) ? CachesAudience.Admin
            : User.Identity?.IsAuthenticated == true ? CachesAudience.Customer
            : CachesAudience.Anonymous;
        var refresh = options.Value.RefreshInterval;
        if (audience == CachesAudience.Anonymous)
        {
            return new CachesViewModel(audience, [.. roles.All.Select(client => new CacheRoleStatus(client.Name, CacheRoles.Describe(client.Name), null, null, []))], false, [], refresh);
        }

        var statuses = await Task.WhenAll(roles.All.Select(async client =>
        {
            var stats = await statsReads.ReadAsync(client, cancellationToken);
            var now = time.GetUtcNow();
            var history = activity.Record(client.Name, RoleSample.Of(stats, now));
            return new CacheRoleStatus(
                client.Name,
                CacheRoles.Describe(client.Name),
                audience == CachesAudience.Admin ? roles.KeyPrefix(client.Name) : null,
                RoleActivity.Of(stats, history, flushes.Last(client.Name), now, options.Value.History),
                audience == CachesAudience.Admin ? [.. stats.Select(server => new CacheServerStatus(server))] : []);
        }));
        return new CachesViewModel(
            audience, statuses, roles.SharedServers.Count > 0, audience == CachesAudience.Admin ? roles.SharedServers : [], refresh);
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "{Admin} flushed the {Role} role ({Servers})")]
    private static partial void LogFlushed(ILogger logger, string admin, string role, string servers);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "{Admin} tried to flush the {Role} role ({Servers}), which failed")]
    private static partial void LogFlushFailed(ILogger logger, string admin, string role, string servers, Exception exception);
}
