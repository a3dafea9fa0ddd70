namespace DualCache.Memcached.Protocol;

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
