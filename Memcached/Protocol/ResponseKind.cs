namespace DualCache.Memcached.Protocol;

/// <summary>The response lines memcached sends to meta and text commands.</summary>
internal enum ResponseKind : byte
{
    /// <summary><c>VA size flags</c> followed by a data block.</summary>
    Value,

    /// <summary><c>HD flags</c>: success without a value.</summary>
    Header,

    /// <summary><c>EN</c>: miss.</summary>
    Miss,

    /// <summary><c>NF</c>: not found.</summary>
    NotFound,

    /// <summary><c>NS</c>: not stored.</summary>
    NotStored,

    /// <summary><c>EX</c>: CAS mismatch.</summary>
    Exists,

    /// <summary><c>MN</c>: the end of a pipelined batch.</summary>
    NoOp,

    /// <summary><c>OK</c> (flush_all).</summary>
    Ok,

    /// <summary><c>STORED</c> (the authentication set).</summary>
    Stored,

    /// <summary><c>STAT name value</c>.</summary>
    Stat,

    /// <summary><c>END</c>: the end of a stats listing.</summary>
    End,

    /// <summary><c>VERSION text</c>.</summary>
    Version,

    /// <summary><c>ERROR</c>: unknown command.</summary>
    Error,

    /// <summary><c>CLIENT_ERROR message</c>.</summary>
    ClientError,

    /// <summary><c>SERVER_ERROR message</c>.</summary>
    ServerError,
}
