using System.Buffers.Binary;
using SSIS.Batch.Engine.Learning;

namespace SSIS.Batch.Engine.Embedding.Contrastive;

/// <summary>
/// The log-mel frames the state store keeps for the encoders that read them: the centre <see cref="MaxFrames"/> frames
/// of the crop at the encoder's frame rate (analysis frames averaged in pairs, 20 ms), each band quantised to 8 bits
/// between its own minimum and maximum. About 25 KB per track where the analysis's float frames of a 30 s crop take
/// 768 KB; the quantisation step is under 0.4 dB for an 80 dB band range.
/// </summary>
public sealed class LogMelExcerpt
{
    /// <summary>Three of the encoder's 128-frame windows: 7.68 s of the crop.</summary>
    public const int MaxFrames = 384;

    private const int Levels = 255;
    private const int HeaderBytes = sizeof(int) + 2 * LogMelSequence.Bands * sizeof(float);

    private readonly byte[] _codes;
    private readonly float[] _bandMinDb;
    private readonly float[] _bandStepDb;

    private LogMelExcerpt(int frames, byte[] codes, float[] bandMinDb, float[] bandStepDb)
    {
        Frames = frames;
        _codes = codes;
        _bandMinDb = bandMinDb;
        _bandStepDb = bandStepDb;
    }

    public int Frames { get; }

    /// <summary>
    /// The analysis frames an excerpt is made of, among <paramref name="analysisFrames"/>: its centre, in whole pairs.
    /// The analysis keeps only these (768 of a 30 s crop's 3,000), and <see cref="FromAnalysisFrames"/> of them alone
    /// gives the excerpt of them all.
    /// </summary>
    public static Range AnalysisFramesRead(int analysisFrames)
    {
        var pooledRows = analysisFrames / ContrastiveSettings.FramePooling;
        var frames = Math.Min(MaxFrames, pooledRows);
        var first = (pooledRows - frames) / 2;
        return new Range(first * ContrastiveSettings.FramePooling, (first + frames) * ContrastiveSettings.FramePooling);
    }

    /// <summary>The excerpt of the analysis's frames ([frames][64 bands] in dB, 10 ms hop).</summary>
    public static LogMelExcerpt FromAnalysisFrames(float[][] logMelDb)
    {
        var pooled = LogMelSequence.Pooled(logMelDb);
        var frames = Math.Min(MaxFrames, pooled.Rows);
        var first = (pooled.Rows - frames) / 2;
        const int bands = LogMelSequence.Bands;
        var min = new float[bands];
        var step = new float[bands];
        for (var b = 0; b < bands; b++)
        {
            float low = float.PositiveInfinity, high = float.NegativeInfinity;
            for (var f = first; f < first + frames; f++)
            {
                low = Math.Min(low, pooled[f, b]);
                high = Math.Max(high, pooled[f, b]);
            }
            min[b] = frames > 0 ? low : 0;
            step[b] = frames > 0 && high > low ? (high - low) / Levels : 0;
        }
        var codes = new byte[frames * bands];
        for (var f = 0; f < frames; f++)
            for (var b = 0; b < bands; b++)
                codes[f * bands + b] = step[b] > 0 ? (byte)Math.Round((pooled[first + f, b] - min[b]) / step[b]) : (byte)0;
        return new LogMelExcerpt(frames, codes, min, step);
    }

    /// <summary>[frames × 64 bands] in dB at the encoder's frame rate, as <see cref="LogMelSequence.Pooled"/> gives them.</summary>
    public Matrix ToPooledDb()
    {
        const int bands = LogMelSequence.Bands;
        var matrix = new Matrix(Frames, bands);
        for (var f = 0; f < Frames; f++)
        {
            var row = matrix.Row(f);
            for (var b = 0; b < bands; b++) row[b] = _bandMinDb[b] + _codes[f * bands + b] * _bandStepDb[b];
        }
        return matrix;
    }

    /// <summary>Frame count, each band's minimum and step (little-endian floats), then the codes frame by frame.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[HeaderBytes + _codes.Length];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, Frames);
        for (var b = 0; b < LogMelSequence.Bands; b++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(sizeof(int) + b * sizeof(float)), _bandMinDb[b]);
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(sizeof(int) + (LogMelSequence.Bands + b) * sizeof(float)), _bandStepDb[b]);
        }
        _codes.CopyTo(bytes, HeaderBytes);
        return bytes;
    }

    public static LogMelExcerpt FromBytes(byte[] bytes)
    {
        var frames = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        if (frames < 0 || bytes.Length != HeaderBytes + frames * LogMelSequence.Bands)
            throw new InvalidDataException($"A stored log-mel excerpt of {bytes.Length} bytes does not hold {frames} frames.");
        var min = new float[LogMelSequence.Bands];
        var step = new float[LogMelSequence.Bands];
        for (var b = 0; b < LogMelSequence.Bands; b++)
        {
            min[b] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(sizeof(int) + b * sizeof(float)));
            step[b] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(sizeof(int) + (LogMelSequence.Bands + b) * sizeof(float)));
        }
        return new LogMelExcerpt(frames, bytes[HeaderBytes..], min, step);
    }
}
