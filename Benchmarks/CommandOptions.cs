using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace DualCache.Benchmarks;

/// <summary>
/// Numeric options with a range, for the load programs' subcommands: a value that is not a number, or out of range, is
/// refused with the option's name and its bounds, instead of being clamped or running a benchmark nobody asked for.
/// </summary>
internal static class CommandOptions
{
    public static Option<int> Whole(string name, int? defaultValue, int min, int max, string description) =>
        InRange(name, defaultValue, min, max, description, "a whole number", NumberStyles.Integer);

    public static Option<double> Number(string name, double? defaultValue, double min, double max, string description) =>
        InRange(name, defaultValue, min, max, description, "a number", NumberStyles.Float);

    private static Option<T> InRange<T>(string name, T? defaultValue, T min, T max, string description, string kind, NumberStyles style)
        where T : struct, INumber<T>
    {
        var range = max >= T.CreateSaturating(int.MaxValue)
            ? string.Create(CultureInfo.InvariantCulture, $"at least {min}")
            : string.Create(CultureInfo.InvariantCulture, $"from {min} to {max}");
        var option = new Option<T>(name)
        {
            Description = $"{description.TrimEnd('.')}; {range}.",
            CustomParser = result => Parse(result, name, min, max, range, kind, style),
        };
        if (defaultValue is { } value)
        {
            option.DefaultValueFactory = _ => value;
        }

        return option;
    }

    private static T Parse<T>(ArgumentResult result, string name, T min, T max, string range, string kind, NumberStyles style)
        where T : struct, INumber<T>
    {
        // No token: the parser itself reports the missing value.
        if (result.Tokens is not [{ Value: var text }])
        {
            return default;
        }

        // Without thousands separators: the invariant culture's would read "1,5" as 15.
        if (!T.TryParse(text, style, CultureInfo.InvariantCulture, out var value) || T.IsNaN(value))
        {
            result.AddError($"{name} needs {kind}; it was '{text}'.");
        }
        else if (value < min || value > max)
        {
            result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be {range}; it was {value}."));
        }

        return value;
    }
}
