using System.Buffers;
using DualCache.Memcached.Diagnostics;
using DualCache.Memcached.Protocol;
using Microsoft.Extensions.ObjectPool;

namespace DualCache.Memcached.Connections;

/// <summary>
/// One single-key meta command (<c>mg</c>, <c>ms</c>, <c>md</c>, <c>ma</c>) and the typed result its caller wants.
/// Operations are reused, so that a get allocates its value and, for its caller's continuation, the thread pool's
/// 32-byte work item (Benchmarks/README.md), not an operation too: one goes back to the pool only when both
/// its caller has taken the result and the connection is done with it (see <see cref="PendingOperation.LeaveConnection"/>).
/// A cancelled or timed-out request is therefore never reused while its answer may still arrive.
/// </summary>
internal sealed class MetaOperation<TResult> : PendingOperation<TResult>
{
    private static readonly ObjectPool<MetaOperation<TResult>> Pool =
        new DefaultObjectPool<MetaOperation<TResult>>(new DefaultPooledObjectPolicy<MetaOperation<TResult>>(), PoolSize);

    private MetaRequest _request;
    private Func<MetaResult, TResult> _project = null!;
    private int _keyHash;

    /// <summary>
    /// This use's version (its awaitables' token) and which sides have let go of it, in one word, so that a release is
    /// checked and counted in one step: a side that lets go again (a caller awaiting the same ValueTask twice), or a
    /// caller of an earlier use, changes nothing, and the operation is reused only once both sides of this use let go.
    /// </summary>
    private int _release;

    private const int CallerDone = 1;
    private const int ConnectionDone = 2;
    private const int BothDone = CallerDone | ConnectionDone;
    private const int VersionShift = 2;

    /// <summary>
    /// Operations kept for reuse per result type. A bound, not a target: beyond it, an operation handed back is left to
    /// the garbage collector. 1,024 is 32 times the benchmarks' 32 callers, each with one request in flight at a time.
    /// </summary>
    private const int PoolSize = 1024;

    public static MetaOperation<TResult> Rent(MetaRequest request, Func<MetaResult, TResult> project)
    {
        var operation = Pool.Get();
        operation._request = request;
        operation._project = project;
        return operation;
    }

    /// <remarks>The connection lets go once per use (see <see cref="PendingOperation.LeaveConnection"/>): it names no version.</remarks>
    public override void LeaveConnection() => Release(Version, ConnectionDone);

    protected override void OnResultTaken(short token) => Release(token, CallerDone);

    private void Release(short version, int side)
    {
        var state = Volatile.Read(ref _release);
        while (true)
        {
            if (state >> VersionShift != (ushort)version || (state & side) != 0)
            {
                return;
            }

            var seen = Interlocked.CompareExchange(ref _release, state | side, state);
            if (seen == state)
            {
                break;
            }

            state = seen;
        }

        if (((state | side) & BothDone) == BothDone)
        {
            ResetForReuse();
            _request = default;
            _project = null!;
            _keyHash = 0;
            Base64 = false;
            Volatile.Write(ref _release, (ushort)Version << VersionShift);
            Pool.Return(this);
        }
    }

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
                    Result = _project(result);
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
