using System.Globalization;

namespace SSIS.Batch.Tests.Support;

/// <summary>Synthesises test audio with ffmpeg: tones in every container the probe reads.</summary>
public static class AudioFactory
{
    /// <summary>Encoder arguments per test format; the key is the file name suffix.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Formats = new Dictionary<string, string[]>
    {
        ["s16.wav"] = ["-c:a", "pcm_s16le"],
        ["f32.wav"] = ["-c:a", "pcm_f32le"],
        ["flac"] = ["-c:a", "flac"],
        ["cbr.mp3"] = ["-c:a", "libmp3lame", "-b:a", "128k"],
        ["vbr.mp3"] = ["-c:a", "libmp3lame", "-q:a", "4"],
        ["ogg"] = ["-c:a", "libvorbis", "-q:a", "3"],
        ["opus"] = ["-c:a", "libopus", "-b:a", "64k"],
        ["m4a"] = ["-c:a", "aac", "-b:a", "128k"],
    };

    /// <summary>A tone of <paramref name="seconds"/> at <paramref name="frequencyHz"/>, encoded as <paramref name="format"/>.</summary>
    public static string Tone(string path, string format, double seconds, double frequencyHz = 440, int sampleRateHz = 44100, int channels = 2)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var source = string.Create(CultureInfo.InvariantCulture, $"sine=frequency={frequencyHz}:sample_rate={sampleRateHz}:duration={seconds}");
        var arguments = new List<string> { "-v", "error", "-y", "-f", "lavfi", "-i", source, "-ac", channels.ToString(CultureInfo.InvariantCulture) };
        arguments.AddRange(Formats[format]);
        if (format is "m4a") arguments.AddRange(["-f", "mp4"]);
        if (format is "ogg" or "opus") arguments.AddRange(["-f", "ogg"]);
        arguments.Add(path);
        Tools.Run("ffmpeg", arguments.ToArray());
        return path;
    }

    /// <summary>ffprobe's duration (format level), seconds.</summary>
    public static double FfprobeDuration(string path) =>
        double.Parse(Tools.Run("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", "--", path).Trim(),
            CultureInfo.InvariantCulture);
}
