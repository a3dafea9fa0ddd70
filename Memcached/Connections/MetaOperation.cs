using System.Buffers;
using DualCache.Memcached.Diagnostics;
using DualCache.Memcached.Protocol;

namespace DualCache.Memcached.Connections;

/// <summary>One single-key meta command (<c>mg</c>, <c>ms</c>, <c>md</c>, <c>ma</c>) and the typed result its caller wants.</summary>
internal sealed class MetaOperation<TResult>(MetaRequest request, Func<MetaResult, TResult> project) : PendingOperation<TResult>
{
    private MetaRequest _request = request;
    private int _keyHash;

    /// <summary>Whether the key is sent base64-encoded; known once the key is encoded.</summary>
    public bool Base64 { get; set; }

    public override void Write(IBufferWriter<byte> writer, ReadOnlySpan<byte> key)
    {
        MetaRequestWriter.Write(writer, _request, key, Base64, Token);
        if (!Base64)
        {
            // A hash, not a copy: comparing the echoed key then costs no allocation.
            _keyHash = KeyHash(key);
        }

        // The value is in the send buffer now; do not keep a large array alive until the response.
        _request = _request with { Value = default };
    }

    public override bool OnResponse(in MetaResponse response)
    {
        switch (response.Kind)
        {
            case ResponseKind.Value:
            case ResponseKind.Header:
            case ResponseKind.Miss:
            case ResponseKind.NotFound:
            case ResponseKind.NotStored:
            case ResponseKind.Exists:
                var flags = response.Arguments;
                if (EchoedToken(response, Name) is var token && token != Token)
                {
                    throw OutOfStep(Name, $"the opaque token O{token}, where this request was sent O{Token}");
                }

                if (!Base64 && !(MetaFlags.TryGetToken(flags, (byte)'k', out var key) && KeyHash(key) == _keyHash))
                {
                    // The other key is not named: on the sessions role a key is a sign-in ticket's, and messages end up in logs.
                    throw OutOfStep(Name, "its own opaque token but another key");
                }

                var result = new MetaResult(
                    response.Kind,
                    response.Kind == ResponseKind.Value ? response.Value.ToArray() : null,
                    (uint)MetaFlags.GetUInt64(flags, (byte)'f'),
                    MetaFlags.GetUInt64(flags, (byte)'c'),
                    MetaFlags.GetInt64(flags, (byte)'t', missing: -1));
                if (_request.Command == MetaCommand.Get)
                {
                    Outcome = result.IsHit ? OperationOutcome.Hit : OperationOutcome.Miss;
                }

                try
                {
                    Result = project(result);
                }
                catch (MemcachedException exception)
                {
                    // An answer the caller's operation does not allow, such as NS to a plain set: the stream is still in step.
                    Error = exception;
                }

                return true;
            case ResponseKind.ServerError:
                Error = ErrorFrom(response, Name);
                return true;
            case ResponseKind.ClientError when _request.Command == MetaCommand.Arithmetic:
                // "cannot increment or decrement non-numeric value": an answer about the item, not a broken stream.
                Error = new MemcachedException($"memcached could not apply ma: {MetaProtocolParser.Printable(response.Arguments)}");
                return true;
            case ResponseKind.ClientError:
            case ResponseKind.Error:
                Error = ErrorFrom(response, Name);
                RequiresReset = true;
                return true;
            default:
                throw ErrorFrom(response, Name);
        }
    }

    private static int KeyHash(ReadOnlySpan<byte> key)
    {
        var hash = new HashCode();
        hash.AddBytes(key);
        return hash.ToHashCode();
    }

    private string Name => _request.Command switch
    {
        MetaCommand.Get => "mg",
        MetaCommand.Set => "ms",
        MetaCommand.Delete => "md",
        _ => "ma",
    };
}
