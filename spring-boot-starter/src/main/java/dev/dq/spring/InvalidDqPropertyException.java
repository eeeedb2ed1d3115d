package dev.dq.spring;

/**
 * A {@code dq.*} setting that is wrong, alone or with the others; start-up fails with it, naming
 * the property and the value.
 */
public final class InvalidDqPropertyException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** The property's name, e.g. {@code dq.queues}. */
  private final String property;

  /**
   * A bad setting.
   *
   * @param property the property's name
   * @param value the value as given (never a password: callers pass a redacted one)
   * @param why what is wrong with it
   */
  public InvalidDqPropertyException(String property, Object value, String why) {
    super(property + "=" + value + ": " + why);
    this.property = property;
  }

  /**
   * The property's name.
   *
   * @return e.g. {@code dq.queues}
   */
  public String property() {
    return property;
  }
}
