using System.Text;

namespace DualCache.Tests.WebApp;

/// <summary>
/// Reads what an OTLP/HTTP metrics export carries that the tests look at: each data point's metric name and string
/// attributes. Walks the protobuf wire format by hand (ExportMetricsServiceRequest, opentelemetry-proto), because
/// no protobuf package is at hand; fields it does not need are skipped.
/// </summary>
public static class OtlpMetricsReader
{
    public static IEnumerable<(string Metric, IReadOnlyDictionary<string, string> Attributes)> ReadDataPoints(byte[] body)
    {
        foreach (var resourceMetrics in Fields(body, 1))
        {
            foreach (var scopeMetrics in Fields(resourceMetrics, 2))
            {
                foreach (var metric in Fields(scopeMetrics, 2))
                {
                    var name = Encoding.UTF8.GetString(Fields(metric, 1).FirstOrDefault() ?? []);

                    // gauge = 5, sum = 7 (NumberDataPoint, attributes = 7); histogram = 9 (HistogramDataPoint, attributes = 9).
                    var points = Fields(metric, 5).Concat(Fields(metric, 7)).SelectMany(data => Fields(data, 1)).Select(point => Attributes(point, 7))
                        .Concat(Fields(metric, 9).SelectMany(data => Fields(data, 1)).Select(point => Attributes(point, 9)));
                    foreach (var attributes in points)
                    {
                        yield return (name, attributes);
                    }
                }
            }
        }
    }

    private static Dictionary<string, string> Attributes(byte[] point, int field)
    {
        var attributes = new Dictionary<string, string>();
        foreach (var keyValue in Fields(point, field))
        {
            var key = Encoding.UTF8.GetString(Fields(keyValue, 1).FirstOrDefault() ?? []);
            // Values other than strings (OpenTelemetry's own otel.metric.overflow is a bool) are kept by key only.
            attributes[key] = Fields(keyValue, 2).FirstOrDefault() is { } anyValue && Fields(anyValue, 1).FirstOrDefault() is { } text
                ? Encoding.UTF8.GetString(text)
                : "";
        }

        return attributes;
    }

    /// <summary>The length-delimited occurrences of one field number in a message.</summary>
    private static List<byte[]> Fields(byte[] message, int wanted)
    {
        var found = new List<byte[]>();
        var position = 0;
        while (position < message.Length)
        {
            var tag = ReadVarint(message, ref position);
            var field = (int)(tag >> 3);
            switch (tag & 7)
            {
                case 0:
                    ReadVarint(message, ref position);
                    break;
                case 1:
                    position += 8;
                    break;
                case 2:
                    var length = (int)ReadVarint(message, ref position);
                    if (field == wanted)
                    {
                        found.Add(message[position..(position + length)]);
                    }

                    position += length;
                    break;
                case 5:
                    position += 4;
                    break;
                default:
                    throw new InvalidDataException($"Unsupported protobuf wire type {tag & 7}.");
            }
        }

        return found;
    }

    private static ulong ReadVarint(byte[] message, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = message[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }
}
