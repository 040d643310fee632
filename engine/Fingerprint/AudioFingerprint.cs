namespace SSIS.Batch.Engine.Fingerprint;

/// <summary>Where the fingerprinted audio comes from.</summary>
public enum FingerprintSource
{
    /// <summary>The first 120 s, as fpcalc and AcoustID take it: byte-identical to <c>fpcalc -raw</c>.</summary>
    AcoustId,
    /// <summary>The centre crop the analysis stages decode, so dedupe costs no second decode.</summary>
    Crop,
}

/// <summary>
/// A Chromaprint fingerprint: <see cref="Raw"/> items (one per ~0.124 s of audio), the compressed base64 form
/// AcoustID takes, and Chromaprint's 32-bit simhash of the items.
/// </summary>
public sealed record AudioFingerprint(uint[] Raw, string Compressed, uint Hash, double FedSeconds)
{
    /// <summary>Seconds of audio one raw item stands for (4096-sample hop at 11,025 Hz, over 3 after the 1/3 overlap).</summary>
    public const double ItemSeconds = 4096.0 / 3 / 11025;
}
