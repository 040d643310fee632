using System.Text;

namespace SSIS.Batch.Jobs.Commands;

/// <summary>Text from the library (paths, titles) as one line of a command's report: a line break in a file name stays visible as \n.</summary>
public static class ConsoleText
{
    public static string OneLine(string text)
    {
        if (!text.Any(char.IsControl)) return text;
        var line = new StringBuilder(text.Length + 8);
        foreach (var c in text)
            line.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        return line.ToString();
    }
}
