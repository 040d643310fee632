namespace SSIS.Batch.Engine.Probe.Headers;

/// <summary>An ID3v2 tag may precede MP3 and FLAC streams; this finds where the audio starts.</summary>
public static class Id3v2
{
    /// <summary>Size in bytes of a leading ID3v2 tag (header, body, optional footer), or 0 when there is none.</summary>
    public static long TagSizeBytes(ReadOnlySpan<byte> head)
    {
        if (head.Length < 10 || head[0] != 'I' || head[1] != 'D' || head[2] != '3') return 0;
        if ((head[6] | head[7] | head[8] | head[9]) >= 0x80) return 0;
        long body = (head[6] << 21) | (head[7] << 14) | (head[8] << 7) | head[9];
        var footer = (head[5] & 0x10) != 0 ? 10 : 0;
        return 10 + body + footer;
    }
}
