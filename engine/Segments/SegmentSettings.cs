using System.Security.Cryptography;
using System.Text;

namespace SSIS.Batch.Engine.Segments;

/// <summary>
/// YAML <c>segments:</c>: which files are segmented whole (<c>files</c>, default <c>speech</c>: the files the crop gate flags
/// or doubts and the files too long for the crop), and the segmenter's parameters.
/// </summary>
public sealed record SegmentSettings(SegmentFiles Files = SegmentFiles.Speech, SegmentOptions? Options = null)
{
    public SegmentOptions Parameters => Options ?? new SegmentOptions();

    /// <summary>12 hex digits naming every parameter's value: part of each stored result's version, so a change recomputes it.</summary>
    public static string ParametersHash(SegmentOptions parameters)
    {
        var values = string.Join('|', SegmentOptions.Parameters.Select(p => $"{p.Key}={p.Read(parameters)}"));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(values)))[..12];
    }
}
