namespace SSIS.Batch.Tests.Support;

/// <summary>The reference: Chromaprint's own fpcalc command (Debian libchromaprint-tools).</summary>
public static class Fpcalc
{
    /// <summary>
    /// <c>fpcalc -raw</c> items. Debian's fpcalc exits 3 on WAV input with ffmpeg 5.1 even when its output is right,
    /// so exit 3 is accepted when a fingerprint was printed.
    /// </summary>
    public static uint[] Raw(string path, int lengthSeconds = 120)
    {
        var output = Tools.RunAllowing(null, [0, 3], "fpcalc", "-raw", "-length", lengthSeconds.ToString(), path);
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("FINGERPRINT=", StringComparison.Ordinal))
                   ?? throw new InvalidOperationException($"fpcalc printed no fingerprint for {path}: {output}");
        return line["FINGERPRINT=".Length..].Trim().Split(',').Select(uint.Parse).ToArray();
    }

    /// <summary>fpcalc's compressed, base64 fingerprint (its default output, AcoustID's lookup format).</summary>
    public static string Compressed(string path, int lengthSeconds = 120)
    {
        var output = Tools.RunAllowing(null, [0, 3], "fpcalc", "-length", lengthSeconds.ToString(), path);
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("FINGERPRINT=", StringComparison.Ordinal))
                   ?? throw new InvalidOperationException($"fpcalc printed no fingerprint for {path}: {output}");
        return line["FINGERPRINT=".Length..].Trim();
    }
}
