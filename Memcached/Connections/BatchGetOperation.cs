using System.Buffers;
using DualCache.Memcached.Protocol;

namespace DualCache.Memcached.Connections;

/// <summary>
/// Many <c>mg</c>s to one server as one pipelined batch: quiet mode drops the misses, each hit carries its key's index
/// as an opaque token, and a closing <c>mn</c> says the batch is over.
/// </summary>
internal sealed class BatchGetOperation(IReadOnlyList<EncodedKey> keys) : PendingOperation<List<(int Index, MemcachedItem Item)>>
{
    private static readonly MetaRequest Get = new(MetaCommand.Get, MetaRequestFlags.ReturnValue | MetaRequestFlags.ReturnClientFlags | MetaRequestFlags.ReturnCas | MetaRequestFlags.Quiet);

    private readonly List<(int Index, MemcachedItem Item)> _hits = [];

    public override void Write(IBufferWriter<byte> writer, ReadOnlySpan<byte> key)
    {
        for (var i = 0; i < keys.Count; i++)
        {
            MetaRequestWriter.Write(writer, Get, keys[i].Bytes, keys[i].Base64, opaque: i);
        }

        MetaRequestWriter.WriteText(writer, "mn\r\n"u8);
    }

    public override bool OnResponse(in MetaResponse response)
    {
        switch (response.Kind)
        {
            case ResponseKind.Value:
                var index = MetaFlags.GetInt64(response.Arguments, (byte)'O', missing: -1);
                if (index < 0 || index >= keys.Count)
                {
                    throw new MemcachedProtocolException($"memcached answered a batched mg with opaque '{index}', which no request in the batch carried.");
                }

                _hits.Add(((int)index, new MemcachedItem(
                    response.Value.ToArray(),
                    (uint)MetaFlags.GetUInt64(response.Arguments, (byte)'f'),
                    MetaFlags.GetUInt64(response.Arguments, (byte)'c'))));
                return false;
            case ResponseKind.Miss:
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
}
