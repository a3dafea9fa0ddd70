namespace DualCache.Memcached;

/// <summary>What a conditional store did.</summary>
public enum StoreResult
{
    /// <summary>The value was written.</summary>
    Stored,

    /// <summary>Add: the key exists already, and its value was left as it was.</summary>
    AlreadyExists,

    /// <summary>Replace or compare-and-swap: the key does not exist.</summary>
    NotFound,

    /// <summary>Compare-and-swap: the item changed since its CAS token was read.</summary>
    CasMismatch,
}
