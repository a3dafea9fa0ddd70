namespace DualCache.Memcached.Diagnostics;

/// <summary>What a read found, for the hit and miss counters.</summary>
internal enum OperationOutcome : byte
{
    Done,
    Hit,
    Miss,
}
