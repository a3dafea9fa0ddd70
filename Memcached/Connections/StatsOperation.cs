using System.Buffers;
using System.Text;
using DualCache.Memcached.Protocol;

namespace DualCache.Memcached.Connections;

/// <summary><c>stats</c> (or <c>stats settings</c>): STAT lines up to END.</summary>
internal sealed class StatsOperation(ReadOnlyMemory<byte> request) : PendingOperation<Dictionary<string, string>>
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public override void Write(IBufferWriter<byte> writer, ReadOnlySpan<byte> key) => writer.Write(request.Span);

    public override bool OnResponse(in MetaResponse response)
    {
        switch (response.Kind)
        {
            case ResponseKind.Stat:
                var space = response.Arguments.IndexOf((byte)' ');
                if (space <= 0)
                {
                    throw new MemcachedProtocolException($"memcached sent a STAT line without a value: '{MetaProtocolParser.Printable(response.Arguments)}'.");
                }

                _values[Encoding.ASCII.GetString(response.Arguments[..space])] = Encoding.ASCII.GetString(response.Arguments[(space + 1)..]);
                return false;
            case ResponseKind.End:
                Result = _values;
                return true;
            case ResponseKind.ServerError:
            case ResponseKind.ClientError:
            case ResponseKind.Error:
                // A one-line command leaves nothing unread behind an error: the stream is still in step.
                Error = ErrorFrom(response, "stats");
                return true;
            default:
                throw ErrorFrom(response, "stats");
        }
    }
}
