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
/// A Chromaprint fingerprint: <see cref="Raw"/> items (one per ~0.124 s of audio), Chromaprint's 32-bit simhash of the
/// items, and the seconds fed.
/// </summary>
public sealed record AudioFingerprint(uint[] Raw, uint Hash, double FedSeconds)
{
    /// <summary>
    /// The compressed base64 form AcoustID takes (as fpcalc prints it), encoded from <see cref="Raw"/> when asked: held
    /// for every candidate through duplicate resolution, it would take more memory than the raw items.
    /// </summary>
    public string Compressed => ChromaprintFingerprinter.Encode(Raw);

    /// <summary>
    /// Whether the items vary enough to tell recordings apart: at least <see cref="MinDistinctItemShare"/> of them
    /// distinct. Silence and a steady tone give one item over and over, and any two such fingerprints agree on most bits
    /// (a 1.5 kHz sine matched silence at 0.94); music gives a new item almost every step (0.48–1.0, median 0.98, over
    /// 220 real excerpts and their transcodes).
    /// </summary>
    public bool IsInformative => Raw.Length > 0 && Raw.Distinct().Count() >= MinDistinctItemShare * Raw.Length;

    public const double MinDistinctItemShare = 0.25;

    /// <summary>Seconds of audio one raw item stands for (4096-sample hop at 11,025 Hz, over 3 after the 1/3 overlap).</summary>
    public const double ItemSeconds = 4096.0 / 3 / 11025;
}
