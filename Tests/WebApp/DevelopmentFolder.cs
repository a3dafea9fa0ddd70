using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;

namespace DualCache.Tests.WebApp;

/// <summary>
/// A content root for the web app in Development with no servers configured: its App_Data (database, keys, demo
/// password, memcached pid files) in a temporary folder, and memcached ports chosen here rather than the defaults, so
/// that neither parallel tests nor a developer's running app are disturbed. Disposing it ends the memcached processes
/// the app left running, by their pid files.
/// </summary>
public sealed class DevelopmentFolder : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("dualcache-dev-");

    public DevelopmentFolder()
    {
        (CachePort, SessionsPort) = (FreePort(), FreePort());
    }

    public string ContentRoot => _folder.FullName;

    public string AppData => Path.Combine(ContentRoot, "App_Data");

    public int CachePort { get; }

    public int SessionsPort { get; }

    public string DemoPassword => File.ReadAllText(Path.Combine(AppData, "demo-password")).Trim();

    /// <summary>The web app as 'dotnet run' starts it in Development, on this content root and these ports.</summary>
    public WebApplicationFactory<Program> App(params (string Key, string Value)[] settings) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Development")
                .UseContentRoot(ContentRoot)
                .UseSetting("LocalMemcached:CachePort", CachePort.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .UseSetting("LocalMemcached:SessionsPort", SessionsPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
            foreach (var (key, value) in settings)
            {
                web.UseSetting(key, value);
            }
        });

    /// <summary>The app started on Kestrel at this loopback port, which a browser keeps using across restarts.</summary>
    public WebApplicationFactory<Program> Serve(int port)
    {
        var app = App();
        app.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        app.StartServer();
        return app;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        foreach (var pidFile in Directory.Exists(AppData) ? Directory.GetFiles(AppData, "memcached-*.pid") : [])
        {
            try
            {
                // A server that is already gone may have left its pid to another process, such as a test run beside this one.
                using var process = Process.GetProcessById(int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture));
                if (process.ProcessName == "memcached")
                {
                    process.Kill();
                    process.WaitForExit();
                }
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
        }

        SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }
}
