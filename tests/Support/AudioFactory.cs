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
    /// <summary>
    /// <paramref name="seconds"/> of pink noise as a 128 kbps MP3 at <paramref name="path"/>, with <paramref name="damagedBytes"/>
    /// from its middle overwritten: ffmpeg's decode stops there, about halfway.
    /// </summary>
    public static string MidwayDamagedMp3(string path, double seconds, int damagedBytes)
    {
        var whole = path + ".whole.mp3";
        Tools.Run("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", string.Create(CultureInfo.InvariantCulture, $"anoisesrc=duration={seconds}:color=pink:amplitude=0.3:seed=3"),
            "-c:a", "libmp3lame", "-b:a", "128k", whole);
        var bytes = File.ReadAllBytes(whole);
        File.Delete(whole);
        for (var i = bytes.Length / 2; i < bytes.Length / 2 + damagedBytes; i++) bytes[i] = (byte)(i * 7919);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public static double FfprobeDuration(string path) =>
        double.Parse(Tools.Run("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", "--", path).Trim(),
            CultureInfo.InvariantCulture);
}
