using SSIS.Batch.Engine.Dsp;

namespace SSIS.Batch.Engine.Segments;

/// <summary>
/// Streaming frame features for the segmenter. Audio arrives at <see cref="SampleRateHz"/> mono in chunks of any size;
/// every 10 ms frame (25 ms Hann window, centred as <see cref="Stft"/> frames are) gives 32 log-mel bands over
/// 60–3900 Hz (telephone band, so band-limited speech and full-band music look alike above it), its level in dBFS, its
/// spectral flux and its spectral flatness. Every 0.1 s block then gets one vector summarising the frames within
/// ±0.5 s of its centre (<see cref="FeatureCount"/> values, see <see cref="Summarise"/>). Only that context is held, so
/// memory does not grow with the file.
/// </summary>
public sealed class SegmentFeatures
{
    public const int SampleRateHz = 8000;
    public const int Bands = 32;
    public const int FramesPerBlock = 10;
    public const int ContextFrames = 100;
    public const double FrameSeconds = 0.010;
    public const double BlockSeconds = FramesPerBlock * FrameSeconds;
    private const int FrameValues = Bands + 3;
    private const int LevelValue = Bands, FluxValue = Bands + 1, FlatnessValue = Bands + 2;
    private const float FloorDb = -100f;
    private const float SilentFrameDb = -60f;
    private const int ModulationBands = 10;

    /// <summary>
    /// Values per block: level, level std, 32 band shapes, 32 band stds, 10 modulation bands, 4 Hz share, flux mean/std,
    /// flatness mean/std, silent share, low-energy share, the 90th-percentile level and its height above the median, and
    /// the loudest and the mean level of the block's own central 0.2 s, and Silero's speech probability: mean and maximum
    /// over the context, mean over the central 0.2 s.
    /// </summary>
    public const int FeatureCount = 2 + 2 * Bands + ModulationBands + 1 + 2 + 2 + 2 + 2 + 2 + 3;

    private static readonly (float[] Cos, float[] Sin)[] ModulationTables = Enumerable.Range(1, ModulationBands)
        .Select(hz => (Enumerable.Range(0, ContextFrames).Select(t => (float)Math.Cos(2 * Math.PI * hz * t * FrameSeconds)).ToArray(),
                       Enumerable.Range(0, ContextFrames).Select(t => (float)Math.Sin(2 * Math.PI * hz * t * FrameSeconds)).ToArray()))
        .ToArray();

    private readonly StreamingFrames _framer = new(new Stft(SampleRateHz));
    private readonly MelFilterbank _mel;
    private readonly float[] _power;
    private readonly float[] _melValues = new float[Bands];
    private float[] _previousLogMel = new float[Bands];

    // Frame features of frames [_firstHeldFrame, _firstHeldFrame + _heldFrames).
    private readonly List<float[]> _frames = [];
    private long _firstHeldFrame;
    private long _nextBlock;

    // Silero probabilities of windows [_firstHeldWindow, _firstHeldWindow + _silero.Count).
    private readonly SileroStream _sileroStream;
    private readonly List<float> _silero = [];
    private long _firstHeldWindow;
    private long _sileroWindows;

    public SegmentFeatures(SileroStream silero)
    {
        _sileroStream = silero;
        _mel = new MelFilterbank(SampleRateHz, _framer.Stft.FftSize, Bands, minHz: 60, maxHz: 3900);
        _power = new float[_framer.Stft.Bins];
    }

    /// <summary>Seconds of audio pushed so far.</summary>
    public double PushedSeconds => _framer.TotalSamples / (double)SampleRateHz;

    /// <summary>Adds <paramref name="samples"/>; appends the feature vector of each block now complete to <paramref name="blocks"/>.</summary>
    public void Push(ReadOnlySpan<float> samples, List<float[]> blocks)
    {
        _framer.Append(samples);
        _sileroStream.Push(samples, _silero);
        _sileroWindows = _firstHeldWindow + _silero.Count;
        while (_framer.NextFrameComplete) ComputeFrame();
        EmitBlocks(blocks, finished: false);
        _framer.DropConsumedSamples();
    }

    /// <summary>Ends the stream: computes the last frames (zero-padded) and appends every remaining block.</summary>
    public void Finish(List<float[]> blocks)
    {
        var frames = _framer.TotalSamples == 0 ? 0 : 1 + _framer.TotalSamples / _framer.Stft.HopSamples;
        while (_framer.NextFrame < frames) ComputeFrame();
        _sileroStream.Finish(_silero);
        _sileroWindows = _firstHeldWindow + _silero.Count;
        EmitBlocks(blocks, finished: true);
    }

    private void ComputeFrame()
    {
        var isFirst = _framer.NextFrame == 0;
        var relativeFrame = _framer.TakeFrame(_power);
        var buffered = _framer.Buffered;
        _mel.Apply(_power, _melValues);
        var frame = new float[FrameValues];
        var linearSum = 0.0;
        var logSum = 0.0;
        var flux = 0f;
        for (var b = 0; b < Bands; b++)
        {
            var value = Math.Max(_melValues[b], 1e-10f);
            linearSum += value;
            logSum += Math.Log(value);
            var db = Math.Max(FloorDb, 10f * MathF.Log10(value));
            frame[b] = db;
            if (!isFirst) flux += Math.Max(0f, db - _previousLogMel[b]);
        }
        frame[LevelValue] = LevelDb(buffered, relativeFrame);
        frame[FluxValue] = flux / Bands;
        frame[FlatnessValue] = (float)(logSum / Bands - Math.Log(linearSum / Bands));
        _previousLogMel = frame[..Bands];
        _frames.Add(frame);
    }

    private float LevelDb(ReadOnlySpan<float> buffered, int relativeFrame)
    {
        var start = relativeFrame * _framer.Stft.HopSamples - _framer.Stft.WindowSamples / 2;
        var sum = 0.0;
        for (var i = Math.Max(0, start); i < Math.Min(buffered.Length, start + _framer.Stft.WindowSamples); i++) sum += buffered[i] * buffered[i];
        return Math.Max(FloorDb, (float)(10 * Math.Log10(sum / _framer.Stft.WindowSamples + 1e-10)));
    }

    private void EmitBlocks(List<float[]> blocks, bool finished)
    {
        var blockCount = finished ? (_framer.NextFrame + FramesPerBlock - 1) / FramesPerBlock : long.MaxValue;
        while (_nextBlock < blockCount)
        {
            var centre = _nextBlock * FramesPerBlock + FramesPerBlock / 2;
            var last = centre + ContextFrames / 2;
            if (!finished && (last > _framer.NextFrame || WindowOf(last - 1) >= _sileroWindows)) break;
            var first = Math.Max(0, centre - ContextFrames / 2);
            var end = Math.Min(last, _framer.NextFrame);
            var features = Summarise(_frames, (int)(first - _firstHeldFrame), (int)(end - first), (int)(centre - first));
            AddSpeechProbabilities(features, first, end, centre);
            blocks.Add(features);
            _nextBlock++;
        }
        var keepFrom = Math.Max(0, _nextBlock * FramesPerBlock + FramesPerBlock / 2 - ContextFrames / 2);
        var drop = (int)Math.Min(_frames.Count, keepFrom - _firstHeldFrame);
        if (drop <= 0) return;
        _frames.RemoveRange(0, drop);
        _firstHeldFrame += drop;
        var dropWindows = (int)Math.Min(_silero.Count, WindowOf(keepFrom) - _firstHeldWindow);
        if (dropWindows <= 0) return;
        _silero.RemoveRange(0, dropWindows);
        _firstHeldWindow += dropWindows;
    }

    /// <summary>The Silero window holding frame <paramref name="frame"/>'s centre.</summary>
    private long WindowOf(long frame) => frame * _framer.Stft.HopSamples / SileroStream.WindowSamples;

    private void AddSpeechProbabilities(float[] features, long first, long end, long centre)
    {
        float Probability(long frame) => _silero.Count == 0 ? 0f
            : _silero[(int)Math.Clamp(WindowOf(frame) - _firstHeldWindow, 0, _silero.Count - 1)];
        float sum = 0, max = 0, central = 0;
        for (var f = first; f < end; f++)
        {
            var p = Probability(f);
            sum += p;
            max = Math.Max(max, p);
        }
        var (from, to) = (Math.Max(first, centre - FramesPerBlock), Math.Min(end, centre + FramesPerBlock));
        for (var f = from; f < to; f++) central += Probability(f);
        features[^3] = end > first ? sum / (end - first) : 0;
        features[^2] = max;
        features[^1] = to > from ? central / (to - from) : 0;
    }

    /// <summary>The block vector of <paramref name="count"/> frames from <paramref name="offset"/>, the block's centre <paramref name="centre"/> frames in.</summary>
    private static float[] Summarise(List<float[]> frames, int offset, int count, int centre)
    {
        var features = new float[FeatureCount];
        var n = Math.Max(1, count);
        var level = Mean(frames, offset, count, LevelValue);
        features[0] = level;
        features[1] = Std(frames, offset, count, LevelValue, level);
        var bandMeans = new float[Bands];
        for (var b = 0; b < Bands; b++) bandMeans[b] = Mean(frames, offset, count, b);
        var overall = bandMeans.Average();
        for (var b = 0; b < Bands; b++)
        {
            features[2 + b] = bandMeans[b] - overall;
            features[2 + Bands + b] = Std(frames, offset, count, b, bandMeans[b]);
        }
        // Syllables come at about 4 Hz: the level envelope's modulation spectrum, as shares of its variance.
        var variance = features[1] * features[1] + 1f;
        var modulation = 2 + 2 * Bands;
        var speechBand = 0f;
        var allBands = 0f;
        for (var k = 0; k < ModulationBands; k++)
        {
            var (cos, sin) = ModulationTables[k];
            float re = 0, im = 0;
            for (var t = 0; t < count; t++)
            {
                var e = frames[offset + t][LevelValue] - level;
                re += e * cos[t];
                im += e * sin[t];
            }
            var power = (re * re + im * im) / (n * (float)n) / variance;
            features[modulation + k] = power;
            allBands += power;
            if (k + 1 is >= 3 and <= 6) speechBand += power;
        }
        var next = modulation + ModulationBands;
        features[next++] = speechBand / (allBands + 1e-6f);
        var flux = Mean(frames, offset, count, FluxValue);
        features[next++] = flux;
        features[next++] = Std(frames, offset, count, FluxValue, flux);
        var flatness = Mean(frames, offset, count, FlatnessValue);
        features[next++] = flatness;
        features[next++] = Std(frames, offset, count, FlatnessValue, flatness);
        var silent = 0;
        var low = 0;
        for (var t = 0; t < count; t++)
        {
            var db = frames[offset + t][LevelValue];
            if (db < SilentFrameDb) silent++;
            if (db < level - 10) low++;
        }
        features[next++] = silent / (float)n;
        features[next++] = low / (float)n;
        // Words with pauses between them pull the mean level down towards silence; the loud frames' level does not move.
        var levels = new float[count];
        for (var t = 0; t < count; t++) levels[t] = frames[offset + t][LevelValue];
        Array.Sort(levels);
        var loud = count == 0 ? FloorDb : levels[(int)(0.9 * (count - 1))];
        features[next++] = loud;
        features[next++] = loud - (count == 0 ? FloorDb : levels[(count - 1) / 2]);
        // The context cannot say which side of a boundary the block is on; the block's own frames can.
        var (from, to) = (Math.Max(0, centre - FramesPerBlock), Math.Min(count, centre + FramesPerBlock));
        var centralMax = FloorDb;
        var centralSum = 0f;
        for (var t = from; t < to; t++)
        {
            centralMax = Math.Max(centralMax, frames[offset + t][LevelValue]);
            centralSum += frames[offset + t][LevelValue];
        }
        features[next++] = centralMax;
        features[next] = to > from ? centralSum / (to - from) : FloorDb;
        return features; // the last three values (Silero's) are added by the caller
    }

    private static float Mean(List<float[]> frames, int offset, int count, int value)
    {
        var sum = 0f;
        for (var t = 0; t < count; t++) sum += frames[offset + t][value];
        return count == 0 ? 0 : sum / count;
    }

    private static float Std(List<float[]> frames, int offset, int count, int value, float mean)
    {
        var sum = 0f;
        for (var t = 0; t < count; t++)
        {
            var d = frames[offset + t][value] - mean;
            sum += d * d;
        }
        return count == 0 ? 0 : MathF.Sqrt(sum / count);
    }
}
