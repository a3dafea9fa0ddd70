namespace DualCache.Memcached.Protocol;

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
