using System.Buffers;
using DualCache.Memcached.Protocol;

namespace DualCache.Memcached.Connections;

/// <summary>
/// Many <c>mg</c>s to one server as one pipelined batch: quiet mode drops the misses, each hit carries an opaque token
/// (the batch's first plus its key's index) and its key, in the order asked, and a closing <c>mn</c> says the batch is over.
/// </summary>
internal sealed class BatchGetOperation(IReadOnlyList<EncodedKey> keys) : PendingOperation<List<(int Index, MemcachedItem Item)>>
{
    private static readonly MetaRequest Get = new(MetaCommand.Get, MetaRequestFlags.ReturnValue | MetaRequestFlags.ReturnClientFlags | MetaRequestFlags.ReturnCas | MetaRequestFlags.Quiet);

    private readonly List<(int Index, MemcachedItem Item)> _hits = [];
    private long _lastIndex = -1;

    public override int TokenCount => keys.Count;

    public override void Write(IBufferWriter<byte> writer, ReadOnlySpan<byte> key)
    {
        for (var i = 0; i < keys.Count; i++)
        {
            MetaRequestWriter.Write(writer, Get, keys[i].Bytes, keys[i].Base64, unchecked(Token + (uint)i));
        }

        MetaRequestWriter.WriteText(writer, "mn\r\n"u8);
    }

    public override bool OnResponse(in MetaResponse response)
    {
        switch (response.Kind)
        {
            case ResponseKind.Value:
                var index = IndexOf(response);
                _hits.Add((index, new MemcachedItem(
                    response.Value.ToArray(),
                    (uint)MetaFlags.GetUInt64(response.Arguments, (byte)'f'),
                    MetaFlags.GetUInt64(response.Arguments, (byte)'c'))));
                return false;
            case ResponseKind.Miss:
                IndexOf(response);
                return false;
            case ResponseKind.NoOp:
                Result = _hits;
                return true;
            case ResponseKind.ServerError:
                Error ??= ErrorFrom(response, "mg");
                return false;
            case ResponseKind.ClientError:
            case ResponseKind.Error:
                Error = ErrorFrom(response, "mg");
                RequiresReset = true;
                return true;
            default:
                throw ErrorFrom(response, "mg");
        }
    }

    /// <summary>Which key an answer is for: a later one than the last answer's, carrying its token and its key.</summary>
    private int IndexOf(in MetaResponse response)
    {
        var token = EchoedToken(response, "mg");
        var index = (long)unchecked(token - Token);
        if (index >= keys.Count || index <= _lastIndex)
        {
            throw OutOfStep("mg", $"the opaque token O{token}, which no request of its batch still waiting carried");
        }

        var sent = keys[(int)index];
        if (!sent.Base64 && !(MetaFlags.TryGetToken(response.Arguments, (byte)'k', out var key) && key.SequenceEqual(sent.Bytes)))
        {
            throw OutOfStep("mg", "the opaque token of one key but another key");
        }

        _lastIndex = index;
        return (int)index;
    }
}
