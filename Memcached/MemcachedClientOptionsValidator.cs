using Microsoft.Extensions.Options;

namespace DualCache.Memcached;

/// <summary>Fails start-up with a message that names the setting to fix.</summary>
internal sealed class MemcachedClientOptionsValidator(string name) : IValidateOptions<MemcachedClientOptions>
{
    public ValidateOptionsResult Validate(string? optionsName, MemcachedClientOptions options)
    {
        if (optionsName != name)
        {
            return ValidateOptionsResult.Skip;
        }

        var section = $"Memcached:{name}";
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Servers))
        {
            failures.Add($"ConnectionStrings:{name} is missing; set it to host:port[,host:port...] (or {section}:Servers).");
        }
        else if (!MemcachedEndPoint.TryParseList(options.Servers, out _, out var error))
        {
            failures.Add($"ConnectionStrings:{name} {error}.");
        }

        if (options.MigrateFrom is { } old)
        {
            if (string.IsNullOrWhiteSpace(old.Servers))
            {
                failures.Add($"{section}:MigrateFrom:Servers is missing; set it to the old servers' host:port[,host:port...], or remove {section}:MigrateFrom.");
            }
            else if (!MemcachedEndPoint.TryParseList(old.Servers, out var oldServers, out var oldError))
            {
                failures.Add($"{section}:MigrateFrom:Servers {oldError}.");
            }
            else if (MemcachedEndPoint.TryParseList(options.Servers, out var servers, out _) &&
                servers.SequenceEqual(oldServers) && (old.KeyPrefix ?? options.KeyPrefix) == options.KeyPrefix)
            {
                failures.Add($"{section}:MigrateFrom names the role's own servers and key prefix; it must name the store being left.");
            }
        }

        if (options.ConnectionsPerServer is < 1 or > 64)
        {
            failures.Add($"{section}:ConnectionsPerServer is {options.ConnectionsPerServer}; it must be between 1 and 64.");
        }

        if (options.Replicas is < 1 or > 8)
        {
            failures.Add($"{section}:Replicas is {options.Replicas}; it must be between 1 and 8.");
        }

        Timeout(options.ConnectTimeout, nameof(options.ConnectTimeout));
        Timeout(options.OperationTimeout, nameof(options.OperationTimeout));
        Positive(options.DeadServerRetryInitial, nameof(options.DeadServerRetryInitial));
        if (options.KeepAliveInterval != TimeSpan.Zero && options.KeepAliveInterval < TimeSpan.FromSeconds(1))
        {
            failures.Add($"{section}:KeepAliveInterval is {options.KeepAliveInterval}; it must be 00:00:00 (off) or at least 00:00:01.");
        }

        if (options.DeadServerRetryMax < options.DeadServerRetryInitial)
        {
            failures.Add($"{section}:DeadServerRetryMax ({options.DeadServerRetryMax}) is shorter than {section}:DeadServerRetryInitial ({options.DeadServerRetryInitial}).");
        }

        if (string.IsNullOrEmpty(options.Username) != string.IsNullOrEmpty(options.Password))
        {
            failures.Add($"{section}:Username and {section}:Password must be set together.");
        }
        else
        {
            // memcached's ASCII authentication reads "username password" as two words: a space in either breaks it.
            OneWord(options.Username, nameof(options.Username));
            OneWord(options.Password, nameof(options.Password));
        }

        if (options.Tls.CertificateAuthorityPath is { Length: > 0 } ca && !File.Exists(ca))
        {
            failures.Add($"{section}:Tls:CertificateAuthorityPath '{ca}' does not exist.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void Timeout(TimeSpan value, string setting)
        {
            // Past a day it is a mistake, and the timers that enforce it overflow some way beyond.
            if (value <= TimeSpan.Zero || value > TimeSpan.FromDays(1))
            {
                failures.Add($"{section}:{setting} is {value}; it must be positive and at most 1.00:00:00.");
            }
        }

        void OneWord(string? value, string setting)
        {
            if (value is { } text && (text.Contains(' ', StringComparison.Ordinal) || text.Any(char.IsControl)))
            {
                failures.Add($"{section}:{setting} must not contain spaces or control characters.");
            }
        }

        void Positive(TimeSpan value, string setting)
        {
            if (value <= TimeSpan.Zero)
            {
                failures.Add($"{section}:{setting} is {value}; it must be positive.");
            }
        }
    }
}
