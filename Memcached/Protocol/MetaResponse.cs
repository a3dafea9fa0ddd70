namespace DualCache.Memcached.Protocol;

/// <summary>
/// One parsed response, pointing into the receive buffer: valid only until the reader moves on,
/// so whoever takes it copies what it keeps.
/// </summary>
internal readonly ref struct MetaResponse(ResponseKind kind, ReadOnlySpan<byte> arguments, ReadOnlySpan<byte> value)
{
    public ResponseKind Kind { get; } = kind;

    /// <summary>What follows the code on the line: meta flags, <c>name value</c> of a STAT, the version, or an error message.</summary>
    public ReadOnlySpan<byte> Arguments { get; } = arguments;

    /// <summary>The data block of a <c>VA</c> response.</summary>
    public ReadOnlySpan<byte> Value { get; } = value;

    public bool IsError => Kind is ResponseKind.Error or ResponseKind.ClientError or ResponseKind.ServerError;
}
