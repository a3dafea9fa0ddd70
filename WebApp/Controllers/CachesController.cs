using System.Security.Claims;
using DualCache.Memcached;
using DualCache.WebApp.Accounts;
using DualCache.WebApp.Caching;
using DualCache.WebApp.Models;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace DualCache.WebApp.Controllers;

/// <summary>Both memcached roles side by side, and their flush buttons for admins.</summary>
[Authorize]
[Route("caches")]
public sealed partial class CachesController(CacheRoles roles, ILogger<CachesController> logger) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var statuses = await Task.WhenAll(roles.All.Select(async client => new CacheRoleStatus(
            client.Name,
            CacheRoles.Describe(client.Name),
            roles.KeyPrefix(client.Name),
            [.. (await client.GetStatsAsync(cancellationToken)).Select(stats => new CacheServerStatus(stats))])));
        return View(new CachesViewModel(statuses, roles.SharedServers, User.IsInRole(AccountRoles.Admin)));
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
        TempData["Message"] = $"Flushed the {client.Name} role ({servers}).";
        return RedirectToAction(nameof(Index));
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "{Admin} flushed the {Role} role ({Servers})")]
    private static partial void LogFlushed(ILogger logger, string admin, string role, string servers);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "{Admin} tried to flush the {Role} role ({Servers}), which failed")]
    private static partial void LogFlushFailed(ILogger logger, string admin, string role, string servers, Exception exception);
}
