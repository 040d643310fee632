namespace SSIS.Batch.Engine.Probe.Headers;

/// <summary>FLAC: the STREAMINFO block (always first) holds sample rate, channels and the total sample count.</summary>
public sealed class FlacHeaderReader : IHeaderReader
{
    public bool Recognises(FileWindow file) => file.Span(file.StreamStartBytes, 4).SequenceEqual("fLaC"u8);

    public AudioProperties? Read(FileWindow file)
    {
        var block = file.Span(file.StreamStartBytes, 4 + 4 + 34);
        if (block.Length < 42 || !block[..4].SequenceEqual("fLaC"u8) || (block[4] & 0x7F) != 0) return null;
        var info = block[8..];
        var sampleRateHz = (info[10] << 12) | (info[11] << 4) | (info[12] >> 4);
        var channels = ((info[12] >> 1) & 0x7) + 1;
        var totalSamples = ((long)(info[13] & 0x0F) << 32) | ((long)info[14] << 24) | ((long)info[15] << 16) | ((long)info[16] << 8) | info[17];
        if (sampleRateHz == 0 || totalSamples == 0) return null;
        var duration = (double)totalSamples / sampleRateHz;
        return new AudioProperties(duration, sampleRateHz, channels, AverageBitRate(file.LengthBytes, duration), "flac", "flac");
    }

    internal static int AverageBitRate(long lengthBytes, double durationSeconds) =>
        durationSeconds > 0 ? (int)Math.Round(lengthBytes * 8 / durationSeconds) : 0;
}
