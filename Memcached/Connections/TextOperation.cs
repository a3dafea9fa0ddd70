using System.Buffers;
using System.Text;
using DualCache.Memcached.Protocol;

namespace DualCache.Memcached.Connections;

/// <summary>A classic text command with a one-line answer: <c>version</c>, <c>flush_all</c>, the authentication <c>set</c>.</summary>
internal sealed class TextOperation(string command, ReadOnlyMemory<byte> request, ResponseKind expected) : PendingOperation<string>
{
    public override void Write(IBufferWriter<byte> writer, ReadOnlySpan<byte> key) => writer.Write(request.Span);

    public override bool OnResponse(in MetaResponse response)
    {
        if (response.Kind == expected)
        {
            Result = Encoding.ASCII.GetString(response.Arguments);
            return true;
        }

        if (response.IsError)
        {
            // A one-line command leaves nothing unread behind an error: the stream is still in step.
            Error = ErrorFrom(response, command);
            return true;
        }

        throw ErrorFrom(response, command);
    }
}
