using System.Buffers;
using System.Text;
using DualCache.Memcached.Protocol;

namespace DualCache.Memcached.Connections;

/// <summary>
/// A classic text command with a one-line answer: <c>version</c>, <c>flush_all</c>. It cannot carry an opaque token,
/// so an <c>mn</c> follows it: its answer counts only with <c>MN</c> right behind it, and a duplicated or stray line
/// shows as out of step. Its answer's kind is one no meta command takes, so it cannot reach one either.
/// </summary>
internal sealed class TextOperation(string command, ReadOnlyMemory<byte> request, ResponseKind expected) : PendingOperation<string>
{
    private static readonly byte[] VersionCommand = "version\r\n"u8.ToArray();

    private bool _answered;

    /// <summary><c>version</c>: the server's version, for callers, and a harmless probe for a quiet connection.</summary>
    public static TextOperation VersionQuery() => new("version", VersionCommand, ResponseKind.Version);

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
            return response.Kind == ResponseKind.NoOp ? true : throw OutOfStep(command, $"a second answer ({response.Kind})");
        }

        if (response.Kind == expected)
        {
            Result = Encoding.ASCII.GetString(response.Arguments);
        }
        else if (response.IsError)
        {
            // A one-line command leaves nothing unread behind an error: the stream is still in step.
            Error = ErrorFrom(response, command);
        }
        else
        {
            throw ErrorFrom(response, command);
        }

        _answered = true;
        return false;
    }
}
