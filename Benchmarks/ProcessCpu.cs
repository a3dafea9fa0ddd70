using System.Globalization;

namespace DualCache.Benchmarks;

/// <summary>A process's CPU time so far (user + system) from Linux's <c>/proc/&lt;pid&gt;/stat</c>, in 10 ms ticks.</summary>
public static class ProcessCpu
{
    private const double TicksPerSecond = 100;

    /// <summary>The CPU time used so far; <see langword="null"/> once the process is gone.</summary>
    public static TimeSpan? Read(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }

        // The name (field 2) is in parentheses and may hold spaces; utime and stime are fields 14 and 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}
