namespace DualCache.Memcached.Protocol;

internal enum MetaCommand : byte
{
    Get,
    Set,
    Delete,
    Arithmetic,
}

[Flags]
internal enum MetaRequestFlags
{
    None = 0,

    /// <summary><c>v</c>: return the value.</summary>
    ReturnValue = 1,

    /// <summary><c>f</c>: return the client flags.</summary>
    ReturnClientFlags = 2,

    /// <summary><c>c</c>: return the CAS token.</summary>
    ReturnCas = 4,

    /// <summary><c>t</c>: return the remaining TTL.</summary>
    ReturnTtl = 8,

    /// <summary><c>q</c>: noreply semantics; a batch ends with <c>mn</c>.</summary>
    Quiet = 16,

    /// <summary><c>MD</c> on <c>ma</c>: decrement.</summary>
    Decrement = 32,

    /// <summary><c>N</c> and <c>J</c> on <c>ma</c>: create a missing counter.</summary>
    Vivify = 64,
}

/// <summary>One meta command, apart from its key (which is encoded straight into the send buffer).</summary>
internal readonly record struct MetaRequest(
    MetaCommand Command,
    MetaRequestFlags Flags,
    long? Ttl = null,
    uint ClientFlags = 0,
    ulong Cas = 0,
    byte Mode = 0,
    ulong Delta = 0,
    ulong Initial = 0,
    ReadOnlyMemory<byte> Value = default)
{
    /// <summary>The <c>ms</c> modes of <c>M(token)</c>.</summary>
    public const byte ModeAdd = (byte)'E';
    public const byte ModeReplace = (byte)'R';
}
