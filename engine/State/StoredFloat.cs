using System.Globalization;

namespace SSIS.Batch.Engine.State;

/// <summary>
/// A value the state store keeps as a float, widened to the double it was meant to be: the shortest decimal that reads
/// back as the same float, so a segment that ends at 16.3 s is written as 16.3 rather than float's 16.299999237060547.
/// </summary>
public static class StoredFloat
{
    public static double ToDouble(float value) =>
        float.IsFinite(value) ? double.Parse(value.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : value;
}
