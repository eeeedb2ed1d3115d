package dev.dq.core.worker;

/**
 * A {@link TaskHandler} that knows the task type it serves, so that a worker process can find it on
 * its classpath.
 *
 * <p><b>Service provider interface.</b> The {@code dq run} command discovers implementations with
 * {@link java.util.ServiceLoader}: list the fully qualified class name in a resource file {@code
 * META-INF/services/dev.dq.core.worker.NamedTaskHandler} of your jar, give the class a public
 * no-argument constructor, and put the jar on the worker's classpath ({@code java -cp
 * dq.jar:my-handlers.jar dev.dq.app.Main run}). One instance serves every task of its type, on
 * several threads at once, so it must be thread-safe. Two providers of the same type are a
 * configuration error.
 */
public interface NamedTaskHandler extends TaskHandler {

  /**
   * The task type this handler serves: 1..128 characters of {@code [A-Za-z0-9._:-]}, constant for
   * the instance.
   *
   * @return the task type
   */
  String type();
}
