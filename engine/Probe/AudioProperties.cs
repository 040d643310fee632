namespace SSIS.Batch.Engine.Probe;

/// <summary>
/// What a file's headers say about its audio. <see cref="BitRateBps"/> is the frame bit rate for constant-bit-rate MP3
/// and the file's average (file bits / duration) otherwise; <see cref="Codec"/> uses ffprobe's codec names.
/// <see cref="Tags"/> are the file's metadata tags (null in a probe cached before tags were read).
/// </summary>
public sealed record AudioProperties(
    double DurationSeconds,
    int SampleRateHz,
    int Channels,
    int BitRateBps,
    string Codec,
    string Container,
    AudioTags? Tags = null)
{
    /// <summary>Bits per second over <paramref name="audioBytes"/> (0 without a duration or bytes).</summary>
    public static int AverageBitRateBps(long audioBytes, double durationSeconds) =>
        durationSeconds > 0 && audioBytes > 0 ? (int)Math.Round(audioBytes * 8 / durationSeconds) : 0;
}
