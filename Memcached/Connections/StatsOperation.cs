using System.Buffers;
using System.Text;
using DualCache.Memcached.Protocol;

namespace DualCache.Memcached.Connections;

/// <summary>
/// <c>stats</c> (or <c>stats settings</c>): STAT lines up to END. Like <see cref="TextOperation"/>, it carries no
/// opaque token, so an <c>mn</c> follows it and its answer counts only with <c>MN</c> right behind.
/// </summary>
internal sealed class StatsOperation(ReadOnlyMemory<byte> request) : PendingOperation<Dictionary<string, string>>
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private bool _answered;

    public override int TokenCount => 0;

    public override void Write(IBufferWriter<byte> writer, ReadOnlySpan<byte> key)
    {
        writer.Write(request.Span);
        MetaRequestWriter.WriteText(writer, "mn\r\n"u8);
    }

    public override bool OnResponse(in MetaResponse response)
    {
        if (_answered)
        {
            return response.Kind == ResponseKind.NoOp ? true : throw OutOfStep("stats", $"more after its END ({response.Kind})");
        }

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
                _answered = true;
                return false;
            case ResponseKind.ServerError:
            case ResponseKind.ClientError:
            case ResponseKind.Error:
                // A one-line command leaves nothing unread behind an error: the stream is still in step.
                Error = ErrorFrom(response, "stats");
                _answered = true;
                return false;
            default:
                throw ErrorFrom(response, "stats");
        }
    }
}
